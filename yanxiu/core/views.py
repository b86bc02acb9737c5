from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render


@login_required
def home(request):
    user = request.user
    # Each role's start page, by the permission its page asks (the names are the apps' rules.py).
    if user.has_perm("applications.create_application"):
        return redirect("applications:dashboard")
    if user.has_perm("applications.list_applications"):
        return redirect("applications:inbox")
    if user.has_perm("reviews.list_tasks"):
        return redirect("reviews:mine")
    if user.has_perm("accounts.see_duties"):
        return redirect("accounts:duties")
    return render(request, "core/home.html")
