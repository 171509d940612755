"""Confirming a request with an EDS: the NCANode client against a stub speaking NCANode's API."""

from __future__ import annotations

import base64

import pytest

from osms.coverage.periods import Period

from .. import services, signing
from ..models import StatementRequest
from .factories import draft
from .ncanode_stub import NcaNodeStub, Registered, signed_xml, start


@pytest.fixture
def ncanode(settings):
    stub = NcaNodeStub()
    server, url = start(stub)
    settings.NCANODE_URL = url
    settings.NCANODE_TIMEOUT = 5
    yield stub
    server.shutdown()
    server.server_close()


@pytest.fixture
def request_draft(citizen):
    return draft(citizen, first=Period(2025, 11), last=Period(2026, 11))


def confirm(citizen, request, proof):
    return services.statement_request_confirm(actor=citizen, request=request, method="ncanode", proof=proof)


def test_eds_is_offered_only_when_ncanode_is_configured(settings):
    settings.NCANODE_URL = ""
    assert list(signing.methods()) == ["sms"]
    settings.NCANODE_URL = "http://127.0.0.1:14579"
    assert list(signing.methods()) == ["sms", "ncanode"]
    with pytest.raises(signing.SignatureRejected):
        settings.NCANODE_URL = ""
        signing.method("ncanode")


def test_a_valid_xml_signature_of_the_citizen_confirms_the_request(ncanode, citizen, request_draft):
    ncanode.signatures["sig-1"] = Registered(iin=citizen.iin)
    proof = signed_xml(signing.NcaNodeSignature.data_to_sign(request_draft), signature_value="sig-1")

    confirmed = confirm(citizen, request_draft, proof)

    assert confirmed.status != StatementRequest.Status.DRAFT
    assert confirmed.signature == "ncanode" and confirmed.signer_iin == citizen.iin
    path, body = ncanode.requests[-1]
    assert path == "/xml/verify" and body["xml"] == proof and body["revocationCheck"] == ["OCSP"]


def test_the_signer_must_be_the_citizen(ncanode, citizen, request_draft, make_user):
    someone_else = make_user()
    ncanode.signatures["sig-2"] = Registered(iin=someone_else.iin)
    proof = signed_xml(signing.NcaNodeSignature.data_to_sign(request_draft), signature_value="sig-2")

    with pytest.raises(signing.SignatureRejected, match="another person"):
        confirm(citizen, request_draft, proof)
    request_draft.refresh_from_db()
    assert request_draft.status == StatementRequest.Status.DRAFT


def test_an_invalid_or_revoked_signature_is_refused(ncanode, citizen, request_draft):
    ncanode.signatures["sig-3"] = Registered(iin=citizen.iin, valid=False)
    proof = signed_xml(signing.NcaNodeSignature.data_to_sign(request_draft), signature_value="sig-3")
    with pytest.raises(signing.SignatureRejected, match="not valid"):
        confirm(citizen, request_draft, proof)


def test_an_authentication_key_cannot_sign(ncanode, citizen, request_draft):
    ncanode.signatures["sig-4"] = Registered(iin=citizen.iin, key_usage="AUTH")
    proof = signed_xml(signing.NcaNodeSignature.data_to_sign(request_draft), signature_value="sig-4")
    with pytest.raises(signing.SignatureRejected):
        confirm(citizen, request_draft, proof)


def test_a_signature_of_another_document_does_not_confirm_this_request(ncanode, citizen, request_draft):
    other = draft(citizen, first=Period(2024, 1), last=Period(2024, 12))
    ncanode.signatures["sig-5"] = Registered(iin=citizen.iin)
    proof = signed_xml(signing.NcaNodeSignature.data_to_sign(other), signature_value="sig-5")

    with pytest.raises(signing.SignatureRejected, match="not this request"):
        confirm(citizen, request_draft, proof)
    assert ncanode.requests == []  # refused before asking NCANode


def test_a_detached_cms_is_checked_against_the_request_bytes(ncanode, citizen, request_draft):
    data = signing.NcaNodeSignature.data_to_sign(request_draft).encode()
    cms = base64.b64encode(b"cms-over-this-request").decode()
    ncanode.signatures[cms] = Registered(iin=citizen.iin, data=data)

    confirmed = confirm(citizen, request_draft, cms)

    assert confirmed.signer_iin == citizen.iin
    path, body = ncanode.requests[-1]
    assert path == "/cms/verify" and base64.b64decode(body["data"]) == data


def test_a_cms_over_other_bytes_is_refused(ncanode, citizen, request_draft):
    cms = base64.b64encode(b"cms-over-something-else").decode()
    ncanode.signatures[cms] = Registered(iin=citizen.iin, data=b"<statementRequest>other</statementRequest>")
    with pytest.raises(signing.SignatureRejected, match="not valid"):
        confirm(citizen, request_draft, cms)


def test_garbage_is_refused_without_a_call(ncanode, citizen, request_draft):
    for proof in ["", "not base64 at all!", "<unclosed"]:
        with pytest.raises(signing.SignatureRejected):
            confirm(citizen, request_draft, proof)
    assert ncanode.requests == []


def test_ncanode_down_or_failing_says_so(ncanode, citizen, request_draft, settings):
    proof = signed_xml(signing.NcaNodeSignature.data_to_sign(request_draft), signature_value="sig-x")
    ncanode.fail_with = 500
    with pytest.raises(signing.SignatureServiceUnavailable):
        confirm(citizen, request_draft, proof)
    settings.NCANODE_URL = "http://127.0.0.1:9"  # nothing listens there
    with pytest.raises(signing.SignatureServiceUnavailable):
        confirm(citizen, request_draft, proof)
    request_draft.refresh_from_db()
    assert request_draft.status == StatementRequest.Status.DRAFT


def test_an_unknown_signature_is_unreadable(ncanode, citizen, request_draft):
    proof = signed_xml(signing.NcaNodeSignature.data_to_sign(request_draft), signature_value="never-registered")
    with pytest.raises(signing.SignatureRejected, match="could not be read"):
        confirm(citizen, request_draft, proof)


def test_a_signature_over_other_content_wrapped_beside_the_request_is_refused(ncanode, citizen, request_draft):
    """Signature wrapping: a valid signature whose reference points at an object of its own (not the
    whole request), or a second signature, never confirms the request."""
    ncanode.signatures["sig-5"] = Registered(iin=citizen.iin)
    proof = signed_xml(signing.NcaNodeSignature.data_to_sign(request_draft), signature_value="sig-5")
    wrapped = proof.replace('<ds:Reference URI="">', '<ds:Reference URI="#other">').replace(
        "</ds:KeyInfo>", '</ds:KeyInfo><ds:Object Id="other">другое</ds:Object>'
    )
    twice = proof.replace(
        "</ds:Signature>",
        "</ds:Signature>" + proof[proof.index("<ds:Signature") : proof.index("</ds:Signature>") + 15],
        1,
    )
    for forged in (wrapped, twice):
        with pytest.raises(signing.SignatureRejected):
            confirm(citizen, request_draft, forged)
    request_draft.refresh_from_db()
    assert request_draft.status == StatementRequest.Status.DRAFT
