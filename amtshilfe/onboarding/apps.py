from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "amtshilfe.onboarding"
    label = "onboarding"
    verbose_name = "Einarbeitung in Themencluster"
