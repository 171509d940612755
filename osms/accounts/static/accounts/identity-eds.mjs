// Proves identity with an EDS: asks the portal for a one-time text (a challenge), has NCALayer (the
// Kazakh EDS client, a local WebSocket service) sign it as a detached CMS, and sends the CMS with the
// challenge's token. Without NCALayer the text is shown and a signature made elsewhere can be pasted.
import { ncalayerCall } from "../core/ncalayer.mjs";

function signBase64(data) {
  return ncalayerCall("createCMSSignatureFromBase64", ["PKCS12", "SIGNATURE", data, false]);
}

async function challenge(form, purpose, url) {
  const body = new FormData();
  body.append("purpose", purpose);
  body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
  const response = await fetch(url, { method: "POST", body, credentials: "same-origin" });
  if (!response.ok) throw new Error("challenge-refused");
  return response.json();
}

function say(status, text) {
  status.textContent = text;
  status.classList.remove("govuk-visually-hidden");
}

for (const button of document.querySelectorAll("[data-eds-sign]")) {
  const form = button.dataset.edsForm ? document.getElementById(button.dataset.edsForm) : button.closest("form");
  const box = button.closest("[data-eds]");
  const status = box.querySelector("[data-eds-status]");
  const text = box.querySelector("[data-eds-text]");
  const fetchButton = box.querySelector("[data-eds-fetch]");
  const args = () => [form, button.dataset.edsPurpose, button.dataset.challengeUrl];
  button.addEventListener("click", async () => {
    if (button.dataset.edsForm && !form.reportValidity()) return;
    button.disabled = true;
    let issued = null;
    try {
      issued = await challenge(...args());
      form.querySelector("[name=eds_token]").value = issued.token;
      form.querySelector("[name=eds_cms]").value = await signBase64(issued.data);
      form.requestSubmit();
    } catch (error) {
      say(status, issued ? button.dataset.errorText : button.dataset.challengeErrorText);
      if (issued && text) text.textContent = issued.text;
    } finally {
      button.disabled = false;
    }
  });
  if (fetchButton) {
    fetchButton.addEventListener("click", async () => {
      try {
        const issued = await challenge(...args());
        form.querySelector("[name=eds_token]").value = issued.token;
        text.textContent = issued.text;
      } catch (error) {
        say(status, button.dataset.challengeErrorText);
      }
    });
  }
}
