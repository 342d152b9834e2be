from django.urls import path

from amparo.plans import views

app_name = "plans"

urlpatterns = [
    path("plans/", views.plan_list, name="plan-list"),
    path("plans/new/", views.plan_create, name="plan-create"),
    path(
        "plans/defenders/<uuid:defender_id>/",
        views.defender_plan_list,
        name="defender-plan-list",
    ),
    path("plans/<uuid:plan_id>/", views.plan_detail, name="plan-detail"),
    path("plans/<uuid:plan_id>/edit/", views.plan_edit, name="plan-edit"),
    path("plans/<uuid:plan_id>/status/", views.plan_status, name="plan-status"),
    path("plans/<uuid:plan_id>/print/", views.plan_print, name="plan-print"),
    path("plans/<uuid:plan_id>/lessons/", views.plan_lessons, name="plan-lessons"),
    path("plans/<uuid:plan_id>/guide/", views.plan_guide_add, name="plan-guide-add"),
    path("plans/<uuid:plan_id>/measures/new/", views.measure_create, name="measure-create"),
    path("plans/measures/<uuid:measure_id>/edit/", views.measure_edit, name="measure-edit"),
    path("plans/measures/<uuid:measure_id>/status/", views.measure_status, name="measure-status"),
    path("plans/<uuid:plan_id>/protocols/new/", views.protocol_create, name="protocol-create"),
    path("plans/protocols/<uuid:protocol_id>/edit/", views.protocol_edit, name="protocol-edit"),
    path("plans/<uuid:plan_id>/compliance/", views.compliance_list, name="compliance-list"),
    path(
        "plans/<uuid:plan_id>/compliance/new/",
        views.compliance_create,
        name="compliance-create",
    ),
]
