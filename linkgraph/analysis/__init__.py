"""Analyses over the typed tables (not the networkx graph), so that they run
at province scale: systemic problem clusters (``clusters``) and
acquaintance-society conflicts (``conflicts``).  Import the submodules."""
