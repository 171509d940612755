// NCALayer, the Kazakh EDS client: a local WebSocket service on the citizen's computer. One call of
// its commonUtils module (signXml for a statement or an application, createCMSSignatureFromBase64
// for an identity challenge); resolves with what it signed, rejects when it is not there or refuses.
const NCALAYER_URL = "wss://127.0.0.1:13579/";

export function ncalayerCall(method, args) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(NCALAYER_URL);
    socket.onerror = () => reject(new Error("ncalayer-unavailable"));
    socket.onopen = () => {
      socket.send(JSON.stringify({ module: "kz.gov.pki.knca.commonUtils", method, args }));
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
