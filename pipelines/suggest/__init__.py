"""Theme suggestions for uncoded comments, learnt offline from a consultation's own coding.

``corpus`` reads a question's coded and uncoded comments from the clean (redacted) store,
``learner`` learns and measures the codebook with scikit-learn, ``outputs`` writes
``theme_suggestions.csv`` and ``theme_model.json`` beside the clean data, ``command`` is
``workbook suggest-themes``, and ``review`` gives the review notebook its tables.
Nothing here reads ``data/raw`` but ``consultation.yml`` (through the store), or writes it.
"""
