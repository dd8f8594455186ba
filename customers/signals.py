from django.dispatch import Signal

# Sent after a service changed a customer's first or last name, inside its
# transaction. Arguments: profile. Apps keeping copies of the name (the
# orders' search text) refresh them.
customer_renamed = Signal()
