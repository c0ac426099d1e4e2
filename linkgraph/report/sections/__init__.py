"""One module per report section, each a function returning a
:class:`~linkgraph.report.model.Section`: ``clusters``, ``conflicts``,
``rotation``, ``leads``, ``audit``, ``rectification``, ``priorities``;
``figures`` the key figures on top, ``common`` the column headings and view
links they share.  ``linkgraph.report.build`` puts them in order."""
