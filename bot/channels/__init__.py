"""Signal channels (DESIGN §12): one provider's alert, traded by every subscriber on their own
account with their own sizing.

`intake.py` takes the provider's alert and journals it once; `fanout.py` expands it into one
signal per subscriber in durable steps and hands each to its subscriber's lane; `desk.py` is
what the Telegram commands may do with channels and subscriptions.
"""
