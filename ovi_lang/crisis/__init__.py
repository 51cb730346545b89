"""Crisis detection: which messages must be answered first with 112 and the right 24/7 line.

- ``kinds``      the kinds of acute crisis (SPEC §3), most specific first
- ``rules``      explicit signals on Voikko base forms and the context that changes them (``data/rules.yml``)
- ``classifier`` a small network over the e5 sentence embedding and the rules' features (``data/*.npz``)
- ``detector``   the one place that decides: rules and classifier combined, thresholds from cross-validation
- ``replies``    the answer by kind and language, and its payload (``data/replies.yml``)
- ``corpus``     the crisis corpus and its checks (``corpus/``); ``train`` and ``evaluate`` use it
"""
