from django import forms
from django.utils.translation import gettext_lazy as _

from portal.uploads import CheckedFormField

from .models import Lid, Lidmaatschap


class SignupForm(forms.Form):
    """Extra field on allauth's sign-up form: every account gets a member profile."""

    naam = forms.CharField(label=_("Your name"), max_length=150)

    def signup(self, request, user) -> None:
        from .services import lid_create

        lid_create(user=user, naam=self.cleaned_data["naam"])


class ProfielForm(forms.ModelForm):
    # Not a model field here: the form checks and re-encodes the upload, a service stores it.
    foto = CheckedFormField(
        kind="photo",
        label=_("Photo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_(
            "Optional. JPEG, PNG or WebP, at most 5 MB. Only members of your networks see it."
        ),
    )
    foto_verwijderen = forms.BooleanField(label=_("Remove my photo"), required=False)

    class Meta:
        model = Lid
        fields = [
            "naam",
            "rol",
            "organisatie",
            "sector",
            "bpsw_lid",
            "registernummer",
            "toon_organisatie",
            "toon_email",
            "herinneringen",
            "digest",
        ]


class MeedoenForm(forms.Form):
    schil = forms.ChoiceField(
        label=_("How would you like to take part?"),
        choices=Lidmaatschap.Schil.choices,
        initial=Lidmaatschap.Schil.BETROKKEN,
        widget=forms.RadioSelect,
    )
    motivatie = forms.CharField(
        label=_("Why would you like to join?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
