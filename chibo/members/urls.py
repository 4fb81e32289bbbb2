from django.urls import path

from chibo.members import views

app_name = "members"
urlpatterns = [
    path("", views.search, name="search"),
    path("new/", views.create, name="create"),
    path("export.xlsx", views.export, name="export"),
    path("import/", views.import_view, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("<int:member_id>/", views.detail, name="detail"),
    path("<int:member_id>/edit/", views.edit, name="edit"),
    path("<int:member_id>/move/", views.move, name="move"),
    path("<int:member_id>/status/", views.status, name="status"),
    path("<int:member_id>/positions/", views.positions, name="positions"),
    path("<int:member_id>/history/", views.history, name="history"),
]
