import oscar.apps.partner.apps as apps


class PartnerConfig(apps.PartnerConfig):
    # Forked to replace partner.strategy (availability rules) and the
    # stock-record model; label `partner`.
    name = "catalog.partner"
