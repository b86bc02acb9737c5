from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render


@login_required
def home(request):
    user = request.user
    if user.is_institution_staff:
        return redirect("applications:dashboard")
    if user.is_authority_reviewer or user.is_province_officer:
        return redirect("applications:inbox")
    if user.role == "expert":
        return redirect("reviews:mine")
    if user.is_administrator:
        return redirect("accounts:duties")
    return render(request, "core/home.html")
