"""Search warm-up for a new server process (``core/warmup``): the embedding model and the
search index of every network are loaded before the first person searches."""

from __future__ import annotations

from amtshilfe.tenancy.models import Network
from amtshilfe.wiki.search.embeddings import embed_query_cached, get_backend
from amtshilfe.wiki.search.network_index import load_index


def warm_up_search() -> None:
    embed_query_cached(get_backend(), "Drucker druckt nicht")  # loads the model
    for network in Network.objects.order_by("pk"):
        load_index(network)
