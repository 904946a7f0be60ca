"""Erasure by anonymisation: what holds it back (`holds`), the person's own rows (`account`) and every
text that names them (`texts`). The service `privacy.services.erase_person` puts them together."""
