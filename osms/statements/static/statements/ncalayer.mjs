// Signs the statement request with NCALayer (the Kazakh EDS client, a local WebSocket service) and puts
// the signed XML into the form. Without NCALayer the citizen can still paste a signature, or use an SMS code.
const NCALAYER_URL = "wss://127.0.0.1:13579/";

function signXml(xml) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(NCALAYER_URL);
    socket.onerror = () => reject(new Error("ncalayer-unavailable"));
    socket.onopen = () => {
      socket.send(JSON.stringify({
        module: "kz.gov.pki.knca.commonUtils",
        method: "signXml",
        args: ["PKCS12", "SIGNATURE", xml, "", ""],
      }));
    };
    socket.onmessage = (event) => {
      const answer = JSON.parse(event.data);
      if (answer.result && answer.result.version) return; // the greeting NCALayer sends first
      socket.close();
      if (String(answer.code) === "200" && answer.responseObject) resolve(answer.responseObject);
      else reject(new Error(answer.message || "ncalayer-refused"));
    };
  });
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
