"""The review views' decorator and error helper (reviews/http.py): the review first (404),
then the method (405), then the action (403, or a message and redirect, or htmx 409)."""

from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from reviews.access import Action
from reviews.http import review_view, service_errors
from reviews.models import Review, ReviewStateError

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HX = {"HTTP_HX_REQUEST": "true"}


def url(name, review, *args):
    return reverse(f"reviews:{name}", args=[review.pk, *args])


def in_review(review):
    Review.objects.filter(pk=review.pk).update(status=Review.Status.IN_REVIEW)


def test_it_answers_outsiders_404_before_the_method(client, review, charlie):
    client.force_login(charlie)
    for name, args in (("answer", ["partner_count"]), ("revise", []), ("edit", [])):
        assert client.get(url(name, review, *args)).status_code == 404, name
        assert client.put(url(name, review, *args)).status_code == 404, name


def test_it_answers_members_405_for_a_wrong_method(client, review, alice, bob):
    client.force_login(bob)  # the method is checked before the action: 405, not 403
    response = client.put(url("answer", review, "partner_count"))
    assert response.status_code == 405 and response["Allow"] == "GET, POST"
    client.force_login(alice)
    assert client.put(url("edit", review)).status_code == 405
    assert client.delete(url("decision", review)).status_code == 405


def test_a_get_may_need_less_than_a_post(client, review, bob):
    client.force_login(bob)  # a stakeholder reads the decision page but may not decide
    assert client.get(url("decision", review)).status_code == 200
    assert client.post(url("decision", review), {"pattern": "guest_space"}).status_code == 403


def test_a_state_error_is_a_message_and_a_redirect(client, review, alice):
    in_review(review)
    client.force_login(alice)
    response = client.post(url("decision", review), {"pattern": "guest_space"})
    assert response.status_code == 302 and response["Location"] == url("decision", review)
    assert "only possible while it is Draft" in str(list(get_messages(response.wsgi_request))[0])
    response = client.post(url("risk_remove", review, 1))
    assert response["Location"] == url("decision", review) + "#risks"


def test_a_state_error_is_a_409_fragment_for_htmx(client, review, alice, bob):
    in_review(review)
    client.force_login(alice)
    response = client.post(url("answer", review, "partner_count"), {"partner_count": "one"}, **HX)
    assert response.status_code == 409
    assert "only possible while it is Draft" in response.content.decode()
    client.force_login(bob)
    response = client.post(url("costs", review), {"course": "standard"}, **HX)
    assert response.status_code == 409
    html = response.content.decode()
    assert 'id="cost-status"' in html and "only possible while it is Draft" in html
    plain = client.post(url("costs", review), {"course": "standard"})
    assert plain.status_code == 302 and plain["Location"] == url("compare", review)


def test_without_a_redirect_target_a_state_error_is_403(client, review, alice):
    in_review(review)
    client.force_login(alice)
    assert client.get(url("edit", review)).status_code == 403


def test_the_view_gets_the_review_and_the_url_kwargs(rf: RequestFactory, review, alice):
    seen: dict[str, Any] = {}

    @review_view(("POST",), action=Action.ANSWER, on_state_error=lambda review, step: "/x/")
    def view(request, review, step):
        seen.update(review=review, step=step)
        return HttpResponse("ok")

    request = rf.post("/")
    request.user, request.htmx = alice, False  # type: ignore[attr-defined]
    assert view(request, pk=review.pk, step="partners").status_code == 200
    assert seen == {"review": review, "step": "partners"}
    assert seen["review"].viewer_role == "reviewer"


class TitleForm(forms.Form):
    title = forms.CharField(required=False)


def plain_request(rf):
    request = rf.post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_service_errors_put_errors_on_the_form_per_field(rf):
    form = TitleForm({"title": "x"})
    form.is_valid()
    with service_errors(plain_request(rf), form) as outcome:
        raise ValidationError({"title": "Too short.", "elsewhere": "Not a field."})
    assert outcome.failed and outcome.status == 400
    assert form.errors == {"title": ["Too short."], "__all__": ["Not a field."]}


def test_service_errors_without_a_form_are_messages(rf):
    request = plain_request(rf)
    with service_errors(request) as outcome:
        raise ReviewStateError("Not now.")
    assert outcome.status == 409 and outcome.message == "Not now."
    assert [str(m) for m in get_messages(request)] == ["Not now."]
    request = plain_request(rf)
    with service_errors(request, quiet=True) as quiet:
        raise ValidationError({"q": ["First.", "Second."]})
    assert quiet.field_errors == {"q": "First."} and list(get_messages(request)) == []


def test_service_errors_let_other_errors_through(rf):
    with pytest.raises(KeyError), service_errors(plain_request(rf)):
        raise KeyError("boom")
    with service_errors(plain_request(rf)) as outcome:
        pass
    assert not outcome.failed and outcome.status == 200
