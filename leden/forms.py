from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth.hashers import make_password
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.uploads import CheckedFormField

from . import services
from .models import Lid, Lidmaatschap


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form with the member's name: every account gets a member profile.

    A known address must not answer faster than a new one (that would tell who has an
    account): allauth then only mails the owner, while a new account costs a password hash,
    by far the slowest step. So the known-address path hashes the password too.
    """

    naam = forms.CharField(label=_("Your name"), max_length=150)
    field_order = ["email", "naam", "password1", "password2"]

    def try_save(self, request):
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1"))  # the same work, thrown away
        return super().try_save(request)

    def signup(self, request, user) -> None:
        # Mails go out in the language the member signed up in, until they choose another.
        services.lid_create(user=user, naam=self.cleaned_data["naam"], taal=get_language())


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
            "taal",
        ]  # the newsletter is chosen on the mail preferences page only


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
