"""Price transparency: what each pack costs the pharmacy (with history), how a
pack's price is made of that cost, the pharmacy fee, the margin and delivery,
and the public price list (docs/pricing.md)."""
