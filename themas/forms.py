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
