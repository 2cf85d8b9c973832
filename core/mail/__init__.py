"""E-mail: the SMTP settings (settings.py), building a message (message.py) and sending it
over SMTP with failures in plain words (smtp.py). What is sent, and when, is core/notify.py."""
