"""The administrator's page of the job queue: failures (with "retry now") and waiting jobs."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chibo.core import jobs as core_jobs
from chibo.core import selectors_jobs, services_jobs
from chibo.core.access import policy_for
from chibo.core.forms import run_service, status_for
from chibo.core.forms_jobs import RetryForm


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def jobs(request: HttpRequest) -> HttpResponse:
    if not policy_for(request).is_admin:
        raise Http404
    form = RetryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        job_id = form.cleaned_data["job"]
        if run_service(form, lambda: services_jobs.retry_now(actor=request.user, result_id=job_id)) is not None:
            messages.success(request, _("Đã đưa việc vào hàng đợi để chạy lại."))
            return redirect("core:jobs")
    context = {
        **selectors_jobs.jobs_page(),
        "form": form,
        "backend": settings.TASKS["default"]["BACKEND"],
        "uses_db": core_jobs.uses_db_backend(),
    }
    return render(request, "chibo/jobs.html", context, status=status_for(form))
