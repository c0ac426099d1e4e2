"""Office ledgers (台账 as offices keep them) into a DATA folder: see records.py."""
