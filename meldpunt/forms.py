from django import forms
from django.utils.translation import gettext_lazy as _

from .services import MAX_LENGTH


class _Described(forms.Form):
    """Inputs name their help text and errors (aria-describedby), and say when invalid, as
    `meldpunt/_formulier.html` renders them."""

    def full_clean(self) -> None:
        super().full_clean()
        self._describe()

    def _describe(self) -> None:
        for name, field in self.fields.items():
            bound = self[name]
            ids = []
            if field.help_text:
                ids.append(f"{bound.id_for_label}-hulp")
            if self.is_bound and bound.errors:
                ids.append(f"{bound.id_for_label}-fout")
                field.widget.attrs["aria-invalid"] = "true"
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._describe()


class _TextForm(_Described):
    tekst = forms.CharField(
        label=_("Your concern"),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8, "class": "form-control"}),
        help_text=_(
            "Describe what worries you. Leave out your own name and contact details unless "
            "you want the committee to know them."
        ),
    )


class ReportForm(_TextForm):
    pass


class AddInformationForm(_Described):
    tekst = forms.CharField(
        label=_("What do you want to add?"),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
    )
    token = forms.CharField(widget=forms.HiddenInput)


class CodeForm(_Described):
    code = forms.CharField(
        label=_("Receipt code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"class": "form-control", "autocomplete": "off", "spellcheck": "false"}
        ),
        help_text=_("The 20 characters you received with your report, e.g. ABCD-EFGH-…"),
    )


class ReplyForm(forms.Form):
    tekst = forms.CharField(
        label=_("Reply to the reporter"),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
    )


class RetentionForm(forms.Form):
    dagen = forms.IntegerField(
        label=_("Days a closed report is kept before it is erased"),
        min_value=1,
        max_value=3650,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
