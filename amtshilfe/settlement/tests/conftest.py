from amtshilfe.settlement.tests.data import unsure_triage  # noqa: F401
