"""Stock by lot: receiving, the shop's stock count, filling, recalls and
returns. Models in models.py (registered under the checkout app label)."""
