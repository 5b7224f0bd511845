"""Plain forms for the incident pages; the rules stay in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.emergencies.models import Grade, IncidentType, OutboundReport
from xiaoneng.web.forms import OfficeForm

MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
SHORT_TEXT = forms.Textarea(attrs={"rows": 3})


class IncidentForm(OfficeForm):
    """The initial report: the facts known now, in a minute on a phone."""

    type = forms.ChoiceField(label=_("Type"), choices=IncidentType.choices)
    grade = forms.ChoiceField(label=_("Preliminary grade"), choices=Grade.choices, initial=Grade.IV)
    title = forms.CharField(label=_("In one line"), max_length=200)
    occurred_at = forms.DateTimeField(label=_("Happened at"), widget=MOMENT)
    discovered_at = forms.DateTimeField(label=_("Discovered at"), widget=MOMENT)
    place = forms.CharField(label=_("Place"), max_length=200)
    injured = forms.IntegerField(label=_("Injured"), min_value=0, initial=0)
    dead = forms.IntegerField(label=_("Dead"), min_value=0, initial=0)
    missing = forms.IntegerField(label=_("Missing"), min_value=0, initial=0)
    what_happened = forms.CharField(
        label=_("What happened (facts known so far)"), widget=SHORT_TEXT
    )
    measures = forms.CharField(label=_("Measures taken"), widget=SHORT_TEXT, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=32)


class ReportForm(OfficeForm):
    situation = forms.CharField(label=_("Situation now"), widget=SHORT_TEXT)
    injured = forms.IntegerField(label=_("Injured"), min_value=0)
    dead = forms.IntegerField(label=_("Dead"), min_value=0)
    missing = forms.IntegerField(label=_("Missing"), min_value=0)
    measures = forms.CharField(label=_("Measures taken"), widget=SHORT_TEXT, required=False)
    causes = forms.CharField(label=_("Causes (final report)"), widget=SHORT_TEXT, required=False)
    lessons = forms.CharField(
        label=_("Handling and lessons (final report)"), widget=SHORT_TEXT, required=False
    )


class RegradeForm(OfficeForm):
    grade = forms.ChoiceField(label=_("Grade"), choices=Grade.choices)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class OutboundForm(OfficeForm):
    """An outside report made: when, how, who took it."""

    sent_at = forms.DateTimeField(label=_("Reported at"), widget=MOMENT)
    means = forms.ChoiceField(label=_("By"), choices=OutboundReport.Means.choices)
    received_by = forms.CharField(label=_("Received by"), max_length=100)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class FromCaseForm(OfficeForm):
    """Turning a request into an incident: what the request does not say."""

    type = forms.ChoiceField(label=_("Type"), choices=IncidentType.choices)
    grade = forms.ChoiceField(label=_("Preliminary grade"), choices=Grade.choices, initial=Grade.IV)
    place = forms.CharField(label=_("Place"), max_length=200)
    injured = forms.IntegerField(label=_("Injured"), min_value=0, initial=0)
    dead = forms.IntegerField(label=_("Dead"), min_value=0, initial=0)
    missing = forms.IntegerField(label=_("Missing"), min_value=0, initial=0)
    measures = forms.CharField(label=_("Measures taken"), widget=SHORT_TEXT, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=32)
