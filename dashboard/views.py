from django.shortcuts import render


def overview(request):
    return render(request, "dashboard/overview.html")


def council_list(request):
    return render(request, "dashboard/council_list.html")


def council_detail(request, slug):
    return render(request, "dashboard/council_detail.html")


def inspection_detail(request, pk):
    return render(request, "dashboard/inspection_detail.html")
