from chibo.tasks import views

app_name = "tasks"
urlpatterns = views.urlpatterns
