from datetime import date, time

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Themavoorstel, Vorm


class ProposalForm(forms.ModelForm):
    vorm = forms.ChoiceField(
        label=_("Form (optional)"),
        choices=[("", _("no preference")), *Vorm.choices],
        required=False,
    )

    class Meta:
        model = Themavoorstel
        fields = ["titel", "waarom", "vorm"]
        widgets = {"waarom": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-select" if name == "vorm" else "form-control"


class DatePollForm(forms.Form):
    """Open a date poll: when answers close, the evenings' times, and the candidate dates."""

    sluit_op = forms.DateTimeField(
        label=_("Answers until"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    begintijd = forms.TimeField(
        label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    eindtijd = forms.TimeField(
        label=_("End time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    datums = forms.CharField(
        label=_("Candidate dates"),
        help_text=_("One date per line, as 2027-01-20. Offer more evenings than themes."),
        widget=forms.Textarea(attrs={"rows": 10}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"

    def clean_datums(self) -> list[date]:
        days = []
        for line in self.cleaned_data["datums"].splitlines():
            if not line.strip():
                continue
            try:
                days.append(date.fromisoformat(line.strip()))
            except ValueError:
                raise forms.ValidationError(
                    _("“%(line)s” is not a date like 2027-01-20.") % {"line": line.strip()}
                ) from None
        return days

    def evenings(self) -> list[tuple[date, time, time]]:
        data = self.cleaned_data
        return [(day, data["begintijd"], data["eindtijd"]) for day in data["datums"]]
