"""Each part of the meeting cycle keeps its own views module and URL list."""

from chibo.meetings import views_docs, views_prep, views_record, views_stats

app_name = "meetings"
urlpatterns = [*views_prep.urlpatterns, *views_record.urlpatterns, *views_docs.urlpatterns, *views_stats.urlpatterns]
