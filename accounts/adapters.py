from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by administrators, never by open sign-up.

    People ask for access through an access request that an administrator
    approves, so allauth's own sign-up form stays closed.
    """

    def is_open_for_signup(self, request):
        return False
