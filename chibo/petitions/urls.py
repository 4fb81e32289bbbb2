from chibo.petitions import views

app_name = "petitions"
urlpatterns = views.urlpatterns
