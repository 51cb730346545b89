"""Ovi's service directory: HSDS 3.0 shaped database, import/export, search and the HSDS serializers."""
