"""The endpoints intermediaries post e-prescriptions to. Thin: who is sending
(HTTP basic auth) and how big the body says it is are checked before a byte
of it is read; receiving.py does the rest and gives the answer."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from checkout.dispensing.eprescribing import intermediaries, receiving
from checkout.dispensing.eprescribing.content import MessageRefused


def _respond(answer: receiving.Answer) -> HttpResponse:
    response = HttpResponse(
        answer.body, status=answer.status, content_type=answer.content_type
    )
    if answer.status == 401:
        response["WWW-Authenticate"] = 'Basic realm="e-prescriptions"'
    return response


def _receive(request: HttpRequest, *, receive, fhir_format: bool) -> HttpResponse:
    content_type = request.content_type or ""
    intermediary = intermediaries.intermediary_of(
        authorization=request.headers.get("Authorization", "")
    )
    try:
        length = int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        length = None
    refusal = None
    if intermediary is None:
        refusal = (401, MessageRefused("Unknown intermediary or wrong password."))
    elif length is None:
        refusal = (411, MessageRefused("The request must give its Content-Length."))
    elif length > settings.ERX_MAX_BODY_BYTES:
        refusal = (
            413,
            MessageRefused(
                f"The message is larger than {settings.ERX_MAX_BODY_BYTES} bytes."
            ),
        )
    if refusal is not None:
        status, error = refusal
        return _respond(
            receiving.unread_refuse(
                intermediary=intermediary or "",
                status=status,
                error=error,
                content_type=content_type,
                body_bytes=length,
                fhir_format=fhir_format,
            )
        )
    return _respond(
        receive(intermediary=intermediary, body=request.body, content_type=content_type)
    )


@csrf_exempt
@require_POST
def script_endpoint(request: HttpRequest) -> HttpResponse:
    """NCPDP SCRIPT 2017071, XML: NewRx and CancelRx."""
    return _receive(request, receive=receiving.script_receive, fhir_format=False)


@csrf_exempt
@require_POST
def fhir_endpoint(request: HttpRequest) -> HttpResponse:
    """FHIR R4, JSON: a Bundle with a MedicationRequest, treated as a NewRx."""
    return _receive(request, receive=receiving.fhir_receive, fhir_format=True)
