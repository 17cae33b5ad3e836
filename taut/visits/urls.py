from django.urls import path

from taut.visits.views import dose, exam, intake, note, procedure, schedule, visit

app_name = "visits"
V = "<uuid:patient_id>/visits/<uuid:visit_id>/"
urlpatterns = [
    path("today/", visit.day_list, name="day_list"),
    path("today/print/", visit.day_print, name="day_print"),
    path("schedule/", schedule.schedule, name="calendar"),
    path("schedule/book/", schedule.find_patient, name="find_patient"),
    path("<uuid:patient_id>/visits/", visit.chart_section, name="chart_section"),
    path("<uuid:patient_id>/visits/new/", visit.schedule, name="schedule"),
    path(V, visit.detail, name="detail"),
    path(V + "booking/", schedule.visit_booking, name="booking"),
    path(V + "booking/move/", schedule.move, name="move"),
    path(V + "booking/cancel/", schedule.cancel, name="cancel"),
    path(V + "booking/no-show/", schedule.no_show, name="no_show"),
    path(V + "booking/arrival/", schedule.arrival, name="arrival"),
    path(V + "end/", visit.end, name="end"),
    path(V + "intake/", intake.intake, name="intake"),
    path(V + "intake/review/", intake.review, name="intake_review"),
    path(V + "decision/", intake.decision, name="decision"),
    path(V + "fibromyalgia/", intake.fm_survey, name="fm_survey"),
    path(V + "exam/", exam.exam, name="exam"),
    path(V + "exam/<uuid:finding_id>/remove/", exam.finding_remove, name="finding_remove"),
    path(V + "procedure/", procedure.procedure, name="procedure"),
    path(V + "procedure/consent/", procedure.consent_step, name="consent"),
    path(V + "procedure/time-out/", procedure.time_out, name="time_out"),
    path(V + "procedure/weight/", procedure.weight, name="weight"),
    path(V + "procedure/sites/", procedure.site_add, name="site_add"),
    path(V + "procedure/sites/preview/", procedure.dose_preview, name="dose_preview"),
    path(V + "procedure/sites/<uuid:site_id>/remove/", procedure.site_remove, name="site_remove"),
    path(V + "procedure/immediate/", procedure.immediate, name="immediate"),
    path(V + "procedure/discharge/", procedure.discharge, name="discharge"),
    path(V + "procedure/last-steps/", procedure.last_steps, name="last_steps"),
    path(V + "procedure/earlier-doses/", dose.other_dose_add, name="other_dose_add"),
    path(
        V + "procedure/earlier-doses/<int:index>/remove/",
        dose.other_dose_remove,
        name="other_dose_remove",
    ),
    path(V + "procedure/dose-reductions/", dose.reductions, name="dose_reductions"),
    path(V + "note/", note.note, name="note"),
    path(V + "note/sign/", note.sign, name="sign"),
    path(V + "note/addendum/", note.addendum, name="addendum"),
    path(V + "note.pdf", note.pdf, name="pdf"),
]
