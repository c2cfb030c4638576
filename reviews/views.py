from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_htmx.http import retarget

from .access import Action, can, check, get_review_for_user
from .forms import ReviewCreateForm, ReviewEditForm
from .models import Membership, Review, ReviewStateError
from .selectors import review_answers, review_progress, review_recommendation, review_steps
from .services.answers import review_answer_save, review_answers_save
from .services.reviews import review_create, review_update
from .views_record import record_panel

DASHBOARD_PAGE_SIZE = 20


def dashboard(request: HttpRequest) -> HttpResponse:
    """The reviews the user may see, newest first; filter by status, search by title."""
    reviews = Review.objects.visible_to(request.user).for_dashboard()
    status = request.GET.get("status", "")
    if status in Review.Status.values:
        reviews = reviews.filter(status=status)
    else:
        status = ""
    query = request.GET.get("q", "").strip()[:200]
    if query:
        reviews = reviews.filter(title__icontains=query)
    page = Paginator(reviews, DASHBOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    roles = set(Membership.objects.filter(user=request.user).values_list("role", flat=True))
    context = {
        "page": page,
        "status": status,
        "query": query,
        "statuses": Review.Status.choices,
        "can_create": Membership.Role.REVIEWER in roles,
        # approvers only: one more query, when the whole page renders (not the list partial)
        "awaiting_signature": Review.objects.awaiting_signature_from(request.user)[:20]
        if Membership.Role.APPROVER in roles
        else [],
    }
    template = "reviews/dashboard.html"
    if request.htmx and request.htmx.target == "review-list":
        template += "#review-list"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def review_new(request: HttpRequest) -> HttpResponse:
    form = ReviewCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            review = review_create(owner=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            first = review.catalog.steps.first()
            return redirect("reviews:step", review.pk, first.key)
    status = 400 if request.method == "POST" else 200
    return render(request, "reviews/review_new.html", {"form": form}, status=status)


def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_review_for_user(request.user, pk)
    answers = review_answers(review)
    steps = review_steps(review)
    return render(
        request,
        "reviews/review_detail.html",
        {
            "review": review,
            "steps": steps,
            "answers": answers,
            "progress": review_progress(steps, answers),
            "recommendation": review_recommendation(review, answers),
            "can_answer": can(request.user, review, Action.ANSWER, role=review.viewer_role),
            **record_panel(request.user, review),
        },
    )


@require_http_methods(["GET", "POST"])
def review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_review_for_user(request.user, pk, Action.ANSWER)
    criteria = list(review.catalog.criteria.all())
    form = ReviewEditForm(request.POST or None, instance=review, criteria=criteria)
    if request.method == "POST" and form.is_valid():
        try:
            review_update(
                review=review,
                title=form.cleaned_data["title"],
                context=form.cleaned_data["context"],
                language=form.cleaned_data["language"],
                weights=form.cleaned_data["weights"],
            )
        except (ValidationError, ReviewStateError) as exc:
            form.add_error(None, str(exc.messages[0] if hasattr(exc, "messages") else exc))
        else:
            messages.success(request, _("Saved."))
            return redirect("reviews:detail", review.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "reviews/review_edit.html", {"review": review, "form": form}, status=status
    )


def _step_context(request, review, steps, step_index, answers, *, errors=None, posted=None):
    """The step page's context; after a refused POST, `posted` keeps what the user entered."""
    step = steps[step_index]
    chosen = {key: a.choice for key, a in answers.items()}
    notes = {key: a.note for key, a in answers.items()}
    for key, (choice, note) in (posted or {}).items():
        if choice is not None:
            chosen[key] = choice
        if note is not None:
            notes[key] = note
    return {
        "review": review,
        "steps": steps,
        "step": step,
        "step_index": step_index,
        "previous_step": steps[step_index - 1] if step_index > 0 else None,
        "next_step": steps[step_index + 1] if step_index + 1 < len(steps) else None,
        "answers": answers,
        "progress": review_progress(steps, answers, step_index),
        "recommendation": review_recommendation(review, answers),
        "can_answer": can(request.user, review, Action.ANSWER, role=review.viewer_role),
        "errors": errors or {},
        "chosen": chosen,
        "notes": notes,
    }


def _find_step(steps, key: str) -> int:
    for index, step in enumerate(steps):
        if step.key == key:
            return index
    raise Http404("No such step")


@require_http_methods(["GET", "POST"])
def review_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """One wizard step. A plain POST saves the whole step (the no-JavaScript path)."""
    review = get_review_for_user(request.user, pk)
    steps = review_steps(review)
    index = _find_step(steps, step)
    if request.method == "POST":
        try:
            check(request.user, review, Action.ANSWER)
        except ReviewStateError as exc:
            messages.error(request, str(exc))
            return redirect("reviews:step", review.pk, step)
    else:
        answers = review_answers(review)
        return render(
            request, "reviews/step.html", _step_context(request, review, steps, index, answers)
        )

    posted: dict[str, tuple[str | None, str | None]] = {}
    for question in steps[index].questions.all():
        choice = request.POST.get(question.key)
        note = request.POST.get(f"note-{question.key}")
        if choice is not None or note is not None:
            posted[question.key] = (choice, note)
    try:
        review_answers_save(review=review, user=request.user, answers=posted)
    except ValidationError as exc:
        errors = {key: messages_[0] for key, messages_ in exc.message_dict.items()}
        context = _step_context(
            request, review, steps, index, review_answers(review), errors=errors, posted=posted
        )
        return render(request, "reviews/step.html", context, status=400)
    except ReviewStateError as exc:
        messages.error(request, str(exc))
        return redirect("reviews:step", review.pk, step)
    messages.success(request, _("Answers saved."))
    if request.POST.get("go") == "back" and index > 0:
        return redirect("reviews:step", review.pk, steps[index - 1].key)
    if index + 1 < len(steps):
        return redirect("reviews:step", review.pk, steps[index + 1].key)
    return redirect("reviews:recommendation", review.pk)


def answer_save(request: HttpRequest, pk: int, question: str) -> HttpResponse:
    """Autosave of one answer (htmx): returns its status, and the panel and progress out of band.

    A plain POST (no JavaScript) saves and redirects back to the step. Access is checked before
    the method, so an outsider gets 404 here as everywhere under the review.
    """
    review = get_review_for_user(request.user, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    choice = request.POST.get(question)
    note = request.POST.get(f"note-{question}")
    steps = review_steps(review)
    step_index = next(
        (i for i, s in enumerate(steps) if any(q.key == question for q in s.questions.all())), None
    )
    error = None
    status = 200
    answer = None
    if choice is None and note is None:
        error, status = _("Nothing to save: choose an answer or write a note."), 400
    else:
        try:
            check(request.user, review, Action.ANSWER)
            answer = review_answer_save(
                review=review, user=request.user, question=question, choice=choice, note=note
            )
        except ValidationError as exc:
            error, status = exc.messages[0], 400
        except ReviewStateError as exc:
            error, status = str(exc), 409
    if not request.htmx:
        if error:
            messages.error(request, error)
        if step_index is None:
            return redirect("reviews:detail", review.pk)
        return redirect("reviews:step", review.pk, steps[step_index].key)

    if step_index is None:  # unknown question: no status area of its own on the page
        response = render(request, "reviews/_form_error.html", {"error": error}, status=status)
        return retarget(response, "#form-errors")
    answers = review_answers(review)
    context = {
        "review": review,
        "question_key": question,
        "answer": answer or answers.get(question),
        "error": error,
        "oob": error is None,
        "progress": review_progress(steps, answers, step_index),
        "recommendation": review_recommendation(review, answers),
    }
    return render(request, "reviews/_answer_saved.html", context, status=status)


def review_recommendation_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The wizard's last step: the ranked, explained recommendation."""
    review = get_review_for_user(request.user, pk)
    answers = review_answers(review)
    steps = review_steps(review)
    return render(
        request,
        "reviews/recommendation.html",
        {
            "review": review,
            "steps": steps,
            "answers": answers,
            "progress": review_progress(steps, answers),
            "recommendation": review_recommendation(review, answers),
            "on_recommendation": True,
        },
    )
