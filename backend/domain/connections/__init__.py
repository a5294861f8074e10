"""Machine connections (« Raccordement EDI et API »): technical accounts, API clients and their OAuth2
tokens, the Chorus Pro-compatible PISTE routes, and webhooks."""
