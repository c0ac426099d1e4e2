"""Analyses: pure functions of the typed tables (not the networkx graph), so
that they run at province scale.  Import the submodules: ``clusters``
(systemic problems), ``conflicts`` (acquaintance-society conflicts), ``leads``,
``audit``, ``coverage`` … (the linkages)."""
