"""Each part of the meeting cycle keeps its own views module and URL list."""

from chibo.meetings import views_docs, views_home, views_prep, views_record, views_stats

app_name = "meetings"
# The meeting-day URLs first: every check-in is resolved against this list.
urlpatterns = [*views_record.urlpatterns, *views_prep.urlpatterns, *views_docs.urlpatterns, *views_stats.urlpatterns, *views_home.urlpatterns]
