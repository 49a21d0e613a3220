from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from core.navigation import start_page_for


@login_required
def home(request):
    """The home page sends each role to its own start page."""
    return redirect(start_page_for(request.user))
