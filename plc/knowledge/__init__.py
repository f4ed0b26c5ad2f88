"""Knowledge outputs (*kennisopbrengsten*): what communities learn, for all Amsterdam schools."""
