"""Personal data at rest (ground layer): the data keys (``datakeys``) and the model fields
that encrypt with them (``fields``). Any app's models may use them; key rotation and the
``xiaoneng data-keys`` command stay in the security app."""
