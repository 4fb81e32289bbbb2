from django.urls import path

from chibo.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree_root, name="tree_root"),
    path("<int:org_id>/", views.org_detail, name="detail"),
    path("<int:org_id>/history/", views.org_history, name="history"),
    path("<int:org_id>/new-child/", views.org_create_child, name="create_child"),
    path("<int:org_id>/change/", views.org_change_view, name="change"),
    path("<int:org_id>/move/", views.org_move_view, name="move"),
    path("<int:org_id>/merge/", views.org_merge_view, name="merge"),
    path("<int:org_id>/split/", views.org_split_view, name="split"),
    path("<int:org_id>/dissolve/", views.org_dissolve_view, name="dissolve"),
]
