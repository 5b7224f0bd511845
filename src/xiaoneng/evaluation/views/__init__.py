"""The evaluation pages: office (rounds, questionnaires, results, files), typical cases, and
the public pages mounted under the portal (public.py)."""
