from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("", include("chibo.core.urls")),
    path("accounts/", include("chibo.accounts.urls")),
    path("org/", include("chibo.orgs.urls")),
    path("members/", include("chibo.members.urls")),
    path("meetings/", include("chibo.meetings.urls")),
    path("petitions/", include("chibo.petitions.urls")),
    path("tasks/", include("chibo.tasks.urls")),
    path("briefings/", include("chibo.briefings.urls")),
    path("inspections/", include("chibo.inspections.urls")),
    path("probation/", include("chibo.probation.urls")),
    path("discipline/", include("chibo.discipline.urls")),
    path("followup/", include("chibo.followup.urls")),
    path("transfers/", include("chibo.transfers.urls")),
    path("residence/", include("chibo.residence.urls")),
    path("dues/", include("chibo.dues.urls")),
    path("admissions/", include("chibo.admissions.urls")),
    path("api/v1/", include("chibo.api.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
]

handler404 = "chibo.core.views.not_found"
handler500 = "chibo.core.views.server_error"
