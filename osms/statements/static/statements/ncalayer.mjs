// Signs the statement request with NCALayer (the Kazakh EDS client, a local WebSocket service) and puts
// the signed XML into the form. Without NCALayer the citizen can still paste a signature, or use an SMS code.
import { ncalayerCall } from "../core/ncalayer.mjs";

function signXml(xml) {
  return ncalayerCall("signXml", ["PKCS12", "SIGNATURE", xml, "", ""]);
}

const button = document.getElementById("statement-sign-button");
if (button) {
  const status = document.getElementById("statement-sign-status");
  button.addEventListener("click", async () => {
    const xml = document.getElementById(button.dataset.signSource).textContent;
    const target = document.getElementById(button.dataset.signTarget);
    button.disabled = true;
    try {
      target.value = await signXml(xml);
      target.form.requestSubmit();
    } catch (error) {
      status.textContent = button.dataset.errorText;
      status.classList.remove("govuk-visually-hidden");
    } finally {
      button.disabled = false;
    }
  });
}
