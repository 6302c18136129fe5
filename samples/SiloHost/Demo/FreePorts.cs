using System.Net;
using System.Net.Sockets;

namespace SiloHost.Demo;

/// <summary>Finds free TCP ports on 127.0.0.1.</summary>
public static class FreePorts
{
    /// <summary>Returns <paramref name="count"/> distinct ports that were free when asked.</summary>
    public static int[] Take(int count)
    {
        var listeners = new List<TcpListener>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }

            return [.. listeners.Select(listener => ((IPEndPoint)listener.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }
}
