"""Data quality: the rules a write is checked against (``checks``) and the flags they raise (``flags``)."""
