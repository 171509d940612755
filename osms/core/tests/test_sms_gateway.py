"""The HTTP SMS gateway adapter: success, retryable failures, permanent refusals, idempotency key."""

import httpx
import pytest

from osms.core.sms import HttpGatewaySmsBackend, SmsError, SmsRefused


@pytest.fixture
def gateway(settings, monkeypatch):
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/sms"
    settings.SMS_GATEWAY_TOKEN = "secret-token"
    sent = []

    def answer(status):
        def post(url, *, json, headers, timeout):
            sent.append({"url": url, "json": json, "headers": headers})
            return httpx.Response(status, text="answer")

        monkeypatch.setattr(httpx, "post", post)

    return sent, answer


def test_accepted_message_carries_the_idempotency_key(gateway):
    sent, answer = gateway
    answer(202)
    HttpGatewaySmsBackend().send(phone="+77011234567", text="Код 123456", message_id="abc-1")
    assert sent[0]["json"] == {"id": "abc-1", "from": "OSMS", "to": "+77011234567", "text": "Код 123456"}
    assert sent[0]["headers"]["Idempotency-Key"] == "abc-1"
    assert sent[0]["headers"]["Authorization"] == "Bearer secret-token"


@pytest.mark.parametrize("status", [429, 500, 503])
def test_server_errors_are_retryable(gateway, status):
    _, answer = gateway
    answer(status)
    with pytest.raises(SmsError) as caught:
        HttpGatewaySmsBackend().send(phone="+77011234567", text="x", message_id="1")
    assert not isinstance(caught.value, SmsRefused)


def test_client_errors_are_permanent(gateway):
    _, answer = gateway
    answer(400)
    with pytest.raises(SmsRefused):
        HttpGatewaySmsBackend().send(phone="+77011234567", text="x", message_id="1")


def test_network_failure_is_retryable(settings):
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/sms"  # discard port: connection refused
    settings.SMS_GATEWAY_TIMEOUT = 1
    with pytest.raises(SmsError):
        HttpGatewaySmsBackend().send(phone="+77011234567", text="x", message_id="1")
