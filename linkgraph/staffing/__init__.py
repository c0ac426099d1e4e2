"""Team staffing from the 组长库 / 人才库 (巡察组配备, ``linkgraph staff``).

``rules`` reads ``linkgraph/data/staffing_rules.toml``; ``problem`` builds the
instance (the pool against the teams' units, hard and soft conflicts from the
conflict engine, history, availability); ``model`` encodes it as a 0-1 model
and holds the solvers (``auto``, ``cp-sat``, ``milp``); ``greedy`` a quick
roster to start from; ``diagnose`` says why no roster exists; ``plan``
(``staff_teams``) runs it all and returns a ``Roster``; ``files`` reads the
command's extra inputs and lays out the workbook.
"""
