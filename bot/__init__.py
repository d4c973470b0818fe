"""newsbot: reads the news links a team shares and says who claims what, and what is unconfirmed."""

__version__ = "0.1.0"
