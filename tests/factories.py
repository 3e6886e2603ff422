"""factory_boy factories: the smallest valid object of each model."""

from datetime import timedelta

import factory
from django.utils import timezone

from bijeenkomsten.models import Aanmelding, Bijeenkomst, Halfjaarprogramma, Programmaonderdeel
from leden.models import Lid, Lidmaatschap, User
from netwerken.models import Koepel, Netwerk

PASSWORD = "een-lang-wachtwoord-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persoon{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """allauth requires a verified address before login."""
        if create:
            from allauth.account.models import EmailAddress

            obj.save()
            EmailAddress.objects.get_or_create(
                user=obj, email=obj.email, defaults={"verified": True, "primary": True}
            )


class LidFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lid

    user = factory.SubFactory(UserFactory)
    naam = factory.Sequence(lambda n: f"Lid Nummer{n}")
    organisatie = "Wijkteam Noord"


class KoepelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Koepel
        django_get_or_create = ["slug"]

    slug = "bpsw"
    naam = "BPSW"
    land = "NL"


class NetwerkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Netwerk
        django_get_or_create = ["slug"]

    naam = factory.LazyAttribute(lambda o: f"Regionetwerk {o.slug.title()}")
    slug = factory.Sequence(lambda n: f"netwerk-{n}")
    koepel = factory.SubFactory(KoepelFactory)
    regio = "Regio"


class LidmaatschapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lidmaatschap

    lid = factory.SubFactory(LidFactory)
    netwerk = factory.SubFactory(NetwerkFactory)
    schil = "kern"
    status = "actief"


class HalfjaarprogrammaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Halfjaarprogramma

    netwerk = factory.SubFactory(NetwerkFactory)
    jaar = 2027
    helft = 1
    themas = "Casuïstiek\nEthiek"
    gepubliceerd = True


class BijeenkomstFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bijeenkomst
        skip_postgeneration_save = True

    titel = factory.Sequence(lambda n: f"Bijeenkomst {n}")
    slug = factory.Sequence(lambda n: f"bijeenkomst-{n}")
    begin = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    einde = factory.LazyAttribute(lambda o: o.begin + timedelta(hours=2))
    doelgroep = "open"
    locatie = "Enschede"

    @factory.post_generation
    def netwerken(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.netwerken.set(extracted)


class ProgrammaonderdeelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programmaonderdeel

    bijeenkomst = factory.SubFactory(BijeenkomstFactory)
    titel = factory.Sequence(lambda n: f"Onderdeel {n}")


class AanmeldingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Aanmelding

    bijeenkomst = factory.SubFactory(BijeenkomstFactory)
    lid = factory.SubFactory(LidFactory)
