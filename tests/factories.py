import factory
from django.contrib.auth import get_user_model


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    first_name = factory.Sequence(lambda n: f"First{n}")
    last_name = "Tester"
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reviews.Team"
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.Sequence(lambda n: f"team-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reviews.Membership"

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)
    role = "reviewer"


class ReviewFactory(factory.django.DjangoModelFactory):
    """A draft review; pass `catalog` (the `catalog` fixture) and usually `team`/`owner`."""

    class Meta:
        model = "reviews.Review"

    team = factory.SubFactory(TeamFactory)
    owner = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Review {n}")
    context = "Why we are deciding"
